#ifndef HYBRIDRANK_CBLAS_SHIM_H
#define HYBRIDRANK_CBLAS_SHIM_H
// The generic CBLAS interface (libblas-dev). We link `blas`, so Debian's alternatives pick the
// implementation at run time: OpenBLAS when libopenblas0-pthread is installed, else the reference.
#include <cblas.h>
#endif
