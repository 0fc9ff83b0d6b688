from thidua_shared.platform.cli import service_main

from awards.main import spec

service_main(spec)
