from claimlint.daemon.client import main

main()
