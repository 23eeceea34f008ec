using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>Collects the gateway's log records (event id, level, message) of every category and level.</summary>
public sealed class LogRecorder : ILoggerProvider, ILogger
{
    private readonly ConcurrentQueue<(int Id, LogLevel Level, string Message)> _records = new();

    public (int Id, LogLevel Level, string Message)[] Records => [.. _records];

    public async Task<string> WaitForAsync(int id, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            foreach (var record in _records)
            {
                if (record.Id == id)
                {
                    return record.Message;
                }
            }

            if (clock.Elapsed > deadline)
            {
                throw new TimeoutException($"No log event {id}.");
            }

            await Task.Delay(10);
        }
    }

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        => _records.Enqueue((eventId.Id, logLevel, formatter(state, exception)));

    public void Dispose()
    {
    }
}
