"""Makes the generated code in gen/ importable: `import forecourt_grpc` before importing any generated module.

gen/ holds forecourt/... and grpc/health, grpc/reflection (the standard protos). The last ones live under the
package name `grpc`, which grpcio owns, so their directory is added to grpcio's package path instead of shadowing it.
"""
import os
import sys

import grpc

GEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gen")
if GEN not in sys.path:
    sys.path.insert(0, GEN)
if os.path.join(GEN, "grpc") not in grpc.__path__:
    grpc.__path__.append(os.path.join(GEN, "grpc"))
