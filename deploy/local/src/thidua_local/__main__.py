from thidua_local.cli import main

main()
