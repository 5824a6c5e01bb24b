from socialode.cli import main

main()
