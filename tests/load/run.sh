#!/usr/bin/env bash
# Load benchmark of issue #8: the gateway (IstioGateway YAML host and a Program.cs-built gateway) vs YARP,
# nginx, haproxy and a direct hit on the upstream, on this machine, in one run. Not a test: CI never runs it.
#   tests/load/run.sh --quick                 # smoke run (~2 min)
#   tests/load/run.sh --duration 15 --rounds 3 --out /tmp/load.md
#   tests/load/run.sh --help
# Needs wrk (HTTP/1.1), h2load (apt: nghttp2-client) for HTTP/2; nginx and haproxy are optional targets.
# Missing tools are reported and their targets skipped. Install: apt-get install -y wrk nghttp2-client nginx haproxy
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
dotnet build -c Release samples/IstioGateway/IstioGateway.csproj -nologo -v q -clp:ErrorsOnly
dotnet build -c Release tests/Gateway.Middleware.LoadTests/Gateway.Middleware.LoadTests.csproj -nologo -v q -clp:ErrorsOnly
exec dotnet tests/Gateway.Middleware.LoadTests/bin/Release/net10.0/Gateway.Middleware.LoadTests.dll run "$@"
