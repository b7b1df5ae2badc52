#ifndef HYBRIDRANK_CLIBPQ_SHIM_H
#define HYBRIDRANK_CLIBPQ_SHIM_H
// Debian puts libpq's headers under /usr/include/postgresql (package libpq-dev).
#include <postgresql/libpq-fe.h>
#endif
