using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.AccessLog;

/// <summary>Collects the formatted lines of one logger category, optionally only from a minimum level.</summary>
internal sealed class AccessLogSink : ILoggerProvider, ILogger
{
    private readonly string _category;
    private readonly LogLevel _minimum;
    private readonly ConcurrentQueue<string> _lines = new();

    public AccessLogSink(string category = "Gateway.Middleware.AccessLog", LogLevel minimum = LogLevel.Trace)
    {
        _category = category;
        _minimum = minimum;
    }

    public string[] Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => categoryName == _category ? this : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= _minimum;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            _lines.Enqueue(formatter(state, exception));
        }
    }

    /// <summary>The access log writes its line as the request completes, just after the client may have read the answer.</summary>
    public async Task<string> WaitForLineAsync(int count = 1)
    {
        var deadline = DateTime.UtcNow.AddSeconds(5);
        while (_lines.Count < count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(10);
        }

        return Assert.Single(Lines.Skip(count - 1).Take(1));
    }

    public void Dispose()
    {
    }
}
