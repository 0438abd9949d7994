/* The teekeys CLI commands, one per cmd_<name>.c; each takes argv with argv[0] = its name. */
#ifndef TK_CLI_COMMANDS_H
#define TK_CLI_COMMANDS_H

int cmd_address(int argc, char **argv);
int cmd_master(int argc, char **argv);
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);
int cmd_attest(int argc, char **argv);
int cmd_ckd(int argc, char **argv);
int cmd_localnet(int argc, char **argv);

#endif
