from awards.main import spec
from thidua_shared.platform.cli import service_main

service_main(spec)
