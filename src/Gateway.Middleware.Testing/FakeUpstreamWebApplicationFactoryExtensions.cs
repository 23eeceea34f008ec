using Microsoft.AspNetCore.Mvc.Testing;

namespace Gateway.Middleware.Testing;

/// <summary>Starts an application under test with its gateway upstreams pointed at <see cref="FakeUpstream"/>s.</summary>
public static class FakeUpstreamWebApplicationFactoryExtensions
{
    /// <summary>
    /// A factory for the same application whose gateway sends each fake's upstream (or subset) to that fake
    /// (<see cref="FakeUpstreamServiceCollectionExtensions.RedirectUpstreams"/>); the app's code is unchanged.
    /// </summary>
    /// <typeparam name="TEntryPoint">The application's entry point (usually <c>Program</c>).</typeparam>
    /// <param name="factory">The factory.</param>
    /// <param name="fakes">The fakes.</param>
    /// <returns>A new factory; dispose it as well.</returns>
    public static WebApplicationFactory<TEntryPoint> WithFakeUpstreams<TEntryPoint>(this WebApplicationFactory<TEntryPoint> factory, params FakeUpstream[] fakes)
        where TEntryPoint : class
    {
        ArgumentNullException.ThrowIfNull(factory);
        ArgumentNullException.ThrowIfNull(fakes);
        return factory.WithWebHostBuilder(web => web.ConfigureServices(services => services.RedirectUpstreams(fakes)));
    }
}
