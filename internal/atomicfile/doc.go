// Package atomicfile writes a run's output files all or none: each is
// written in full to a temporary file beside its target and renamed over
// it only when every output is ready, so a run that fails at any point,
// or is interrupted, leaves the previous outputs as they were and no
// temporary file behind. It also checks output paths before any work
// (CheckPaths: not over an input, not twice, a regular file in a
// directory one may write in) and locks each output directory against
// other raming runs for the moment of writing, leaving no lock file
// behind.
//
// It builds for Linux, macOS and Windows; what differs (the lock, the
// check that a directory is writable, a file that another program holds
// open) is in unix.go and windows.go. It knows nothing of the project.
package atomicfile
