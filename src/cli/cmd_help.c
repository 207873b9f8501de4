/* cmd_help.c — `scalewall help [COMMAND]`. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/version.h"

int cmd_help(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
        const sw_command *c = sw_command_find(argv[1]);
        if (!c) {
            fprintf(stderr, "scalewall: '%s' is not a scalewall command. See 'scalewall help'.\n",
                    argv[1]);
            return 2;
        }
        char *sub[] = {(char *)c->name, "--help", NULL};
        return c->fn(2, sub);
    }
    printf("scalewall %s — how far does adding processors still pay?\n\n", SW_VERSION);
    printf("usage: scalewall [--version] [--help] <command> [<args>]\n\n");
    printf("With no command, scalewall runs its quick tour on the embedded default.\n\n");
    printf("Commands:\n");
    for (size_t i = 0; i < sw_ncommands; i++)
        printf("  %-10s %s\n", sw_commands[i].name, sw_commands[i].summary);
    printf("\n'scalewall <command> --help' shows a command's options.\n");
    printf("Exit codes: 0 ok, 1 failure, 2 usage, 3 bad input data, 4 I/O error,\n"
           "5 a result failed its check, 6 unsupported, 7 out of memory.\n");
    return 0;
}
