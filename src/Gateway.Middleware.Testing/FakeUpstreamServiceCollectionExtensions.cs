using Gateway.Middleware.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Middleware.Testing;

/// <summary>Points a gateway's upstreams at <see cref="FakeUpstream"/>s, whatever declared them (builder, appsettings.json, YAML).</summary>
public static class FakeUpstreamServiceCollectionExtensions
{
    /// <summary>
    /// Sends the traffic for each fake's <see cref="FakeUpstream.Upstream"/> (or its <see cref="FakeUpstream.Subset"/>)
    /// to it, through <see cref="GatewayUpstreamOverrideOptions"/>: the app's routes are untouched. May be called
    /// before or after <c>AddGateway()</c>. Naming an upstream or subset the configuration does not have fails the
    /// start with a configuration error that lists the upstreams there are.
    /// </summary>
    /// <param name="services">The application's services.</param>
    /// <param name="fakes">The fakes.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection RedirectUpstreams(this IServiceCollection services, params FakeUpstream[] fakes)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(fakes);
        foreach (var fake in fakes)
        {
            ArgumentNullException.ThrowIfNull(fake);
            services.Configure<GatewayUpstreamOverrideOptions>(o =>
            {
                if (fake.Subset is { } subset)
                {
                    o.Redirect(fake.Upstream, subset, fake.Address);
                }
                else
                {
                    o.Redirect(fake.Upstream, fake.Address);
                }
            });
        }

        return services;
    }

    /// <summary>Sends the traffic for <paramref name="upstream"/> (every subset) to <paramref name="fake"/>.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="upstream">The upstream name, service host or Kubernetes short name.</param>
    /// <param name="fake">The fake.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection RedirectUpstream(this IServiceCollection services, string upstream, FakeUpstream fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return services.Configure<GatewayUpstreamOverrideOptions>(o => o.Redirect(upstream, fake.Address));
    }

    /// <summary>Sends the traffic for subset <paramref name="subset"/> of <paramref name="upstream"/> to <paramref name="fake"/>.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="upstream">The upstream name, service host or Kubernetes short name.</param>
    /// <param name="subset">The subset name.</param>
    /// <param name="fake">The fake.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection RedirectUpstream(this IServiceCollection services, string upstream, string subset, FakeUpstream fake)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return services.Configure<GatewayUpstreamOverrideOptions>(o => o.Redirect(upstream, subset, fake.Address));
    }

    /// <summary>Sends the traffic for <paramref name="fake"/>'s own upstream (or subset) to it.</summary>
    /// <param name="services">The application's services.</param>
    /// <param name="fake">The fake.</param>
    /// <returns><paramref name="services"/>.</returns>
    public static IServiceCollection RedirectUpstream(this IServiceCollection services, FakeUpstream fake)
        => services.RedirectUpstreams(fake);
}
