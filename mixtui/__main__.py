from mixtui.entry import main

main()
