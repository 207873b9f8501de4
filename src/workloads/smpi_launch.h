/* smpi_launch.h — `scalewall measure --platform P ...`: the real command
 * describes the simulated platform, checks the run fits, and starts the
 * same sweep inside SimGrid's smpirun (docs/virtual.md). */
#ifndef SW_WORKLOADS_SMPI_LAUNCH_H
#define SW_WORKLOADS_SMPI_LAUNCH_H

/* 1 when argv (measure's, argv[0] = "measure") asks for --platform. */
int sw_smpi_wanted(int argc, char **argv);
/* Runs the simulated sweep; returns the exit code. */
int sw_smpi_launch(int argc, char **argv);

#endif
