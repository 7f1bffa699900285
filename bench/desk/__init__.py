"""The attendance tool's recording benchmark (issue 3 "Performance"): see bench/README.md."""
