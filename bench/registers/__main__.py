from bench.registers.run import main

main()
