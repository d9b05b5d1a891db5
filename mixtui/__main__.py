from mixtui.cli import main

main()
