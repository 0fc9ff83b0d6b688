"""The web console: server-rendered screens in Vietnamese over the public API, with the user's
own token. It owns no data and reads no service's database."""
