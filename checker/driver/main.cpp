#include "checker/driver/cli.h"

int main(int argc, char** argv) { return racecheck::driver::RunCli(argc, argv); }
