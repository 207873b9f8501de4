/* scalewall.c — main(): global options, then dispatch to a subcommand. */
#include <stdio.h>
#include <string.h>

#include "builtin.h"
#include "scalewall/version.h"

static int run_default(void)
{
    /* The quick tour on the embedded default; until it exists, the TOP500
     * context is the embedded job. */
    const sw_command *c = sw_command_find("tour");
    if (!c)
        c = sw_command_find("top500");
    if (!c)
        c = sw_command_find("help");
    char *argv[] = {(char *)c->name, NULL};
    return c->fn(1, argv);
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return run_default();
    const char *cmd = argv[1];
    if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
        printf("scalewall %s\n", SW_VERSION);
        return 0;
    }
    if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0)
        return cmd_help(1, argv + 1);
    const sw_command *c = sw_command_find(cmd);
    if (!c) {
        fprintf(stderr, "scalewall: '%s' is not a scalewall command. See 'scalewall help'.\n",
                cmd);
        return 2;
    }
    return c->fn(argc - 1, argv + 1);
}
