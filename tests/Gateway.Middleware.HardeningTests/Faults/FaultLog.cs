using System.Collections.Concurrent;
using System.Diagnostics;
using Gateway.Middleware.Builder;
using Gateway.Middleware.FunctionalTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.HardeningTests.Faults;

/// <summary>
/// The gateway's access log reduced to <c>%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_SENT%</c>, one line per request,
/// so the fault tests can assert what an operator reading Envoy's log would see.
/// </summary>
internal sealed class FaultLog : ILoggerProvider, ILogger
{
    public const string Format = "%RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_SENT%";
    private const string Category = "Gateway.Middleware.AccessLog";
    private readonly ConcurrentQueue<string> _lines = new();

    public string[] Lines => [.. _lines];

    /// <summary>A gateway on real Kestrel that writes its access log here.</summary>
    public Task<GatewayHost> StartGatewayAsync(Action<IGatewayBuilder> configure, Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols protocols = Microsoft.AspNetCore.Server.Kestrel.Core.HttpProtocols.Http1AndHttp2)
        => GatewayHost.StartAsync(
            g =>
            {
                g.Services.AddSingleton<ILoggerProvider>(this);
                g.Services.Configure<LoggerFilterOptions>(o => o.Rules.Add(new LoggerFilterRule(null, Category, LogLevel.Trace, null)));
                configure(g);
            },
            protocols,
            beforeGateway: app => app.UseGatewayAccessLog(o => o.Format = Format));

    /// <summary>The access log line is written as the request ends, which may be after the client saw the outcome.</summary>
    public async Task<string> WaitForLineAsync(TimeSpan? deadline = null)
    {
        var clock = Stopwatch.StartNew();
        while (_lines.IsEmpty)
        {
            Assert.True(clock.Elapsed < (deadline ?? TimeSpan.FromSeconds(5)), "no access log line");
            await Task.Delay(10);
        }

        return _lines.First();
    }

    public ILogger CreateLogger(string categoryName) => categoryName == Category ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _lines.Enqueue(formatter(state, exception).Trim());

    public void Dispose()
    {
    }
}
