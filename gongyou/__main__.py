from gongyou.manage import main

main()
