using Gateway.Middleware.Configuration;
using Microsoft.Extensions.Hosting;

namespace Gateway.Middleware.Authentication;

/// <summary>
/// Fetches every <c>jwksUri</c> before the server starts accepting requests (Starting runs before Kestrel's
/// own start), each bounded by its timeout. A failed fetch leaves that cache cold: its tokens get 401 until a
/// fetch succeeds; startup never hangs on an issuer.
/// </summary>
internal sealed class JwksWarmupService : IHostedLifecycleService
{
    private readonly GatewayConfigProvider _config;
    private readonly JwksProvider _jwks;
    private readonly TimeProvider _timeProvider;

    public JwksWarmupService(GatewayConfigProvider config, JwksProvider jwks, TimeProvider timeProvider)
    {
        _config = config;
        _jwks = jwks;
        _timeProvider = timeProvider;
    }

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (JwtRuleSet.For(_config.Current) is not { } rules)
        {
            return;
        }

        var authenticator = rules.GetAuthenticator(_jwks, _timeProvider);
        var fetches = authenticator.Rules.Where(r => r.Remote is not null).Select(r => r.Remote!).Distinct().Select(r => r.FetchAsync());
        try
        {
            await Task.WhenAll(fetches).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Host shutdown during start: nothing to do.
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
