using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Gateway.Middleware.Forwarding;

/// <summary>Makes Kestrel keep every token of a request's <c>Connection</c> header (see <see cref="ConnectionHeaderEncoding"/>).</summary>
internal sealed class ConnectionHeaderKestrelSetup : IConfigureOptions<KestrelServerOptions>
{
    public void Configure(KestrelServerOptions options)
        => options.RequestHeaderEncodingSelector = ConnectionHeaderEncoding.Wrap(options.RequestHeaderEncodingSelector);
}
