#ifndef HYBRIDRANK_CHIREDIS_SHIM_H
#define HYBRIDRANK_CHIREDIS_SHIM_H
// hiredis 0.14 (Debian libhiredis-dev). `redisCommand` is variadic and cannot be called from
// Swift: use `redisCommandArgv` / `redisAppendCommandArgv`.
#include <hiredis/hiredis.h>
#endif
