// Package serve is the web server of `raming serve`: a page in Dutch on
// which a budget officer or an analyst changes an assumption or an option
// of variant B and sees the figures move, and the API under it
// (docs/serve.md). It sits above output, beside the command line: its
// handlers translate HTTP to runs of one resident raming.Engine and to
// output's writers, so that every figure is the command line's for the
// same --set and seed. The page's files are embedded; nothing is fetched
// from elsewhere.
//
// A local server is still a door: it answers on the loopback address only,
// at its own Host (no DNS rebinding), every API call carries a random
// 128-bit token (compared in constant time), a POST from another origin
// is refused, bodies have types and limits, an uploaded extract stays in
// memory, no file path is taken from a client, and the log carries no
// value.
package serve
