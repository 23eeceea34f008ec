namespace Gateway.Middleware.Forwarding;

/// <summary>
/// The cancellation of one try under a retry policy's <c>perTryTimeout</c>: the try's own timer, started
/// when the route timeout would start (the client's request complete), and a token that also carries the
/// route timeout and the client's abort. Only allocated when the policy sets a per-try timeout.
/// </summary>
internal sealed class RetryTryTimeout : IDisposable
{
    private readonly CancellationTokenSource? _anyTimeoutLink;
    private readonly CancellationTokenSource _tokenLink;

    public RetryTryTimeout(TimeSpan delay, TimeProvider timeProvider, CancellationTokenSource? routeTimeout, CancellationToken requestAborted)
    {
        Delay = delay;
        Timer = new CancellationTokenSource(Timeout.InfiniteTimeSpan, timeProvider);
        if (routeTimeout is not null)
        {
            _anyTimeoutLink = CancellationTokenSource.CreateLinkedTokenSource(Timer.Token, routeTimeout.Token);
        }

        _tokenLink = CancellationTokenSource.CreateLinkedTokenSource(requestAborted, AnyTimeout.Token);
    }

    public TimeSpan Delay { get; }

    /// <summary>Cancelled when this try's own timeout elapses.</summary>
    public CancellationTokenSource Timer { get; }

    /// <summary>Cancelled when this try's timeout or the route timeout elapses.</summary>
    public CancellationTokenSource AnyTimeout => _anyTimeoutLink ?? Timer;

    /// <summary>Cancels the try: either timeout or the client's abort.</summary>
    public CancellationToken Token => _tokenLink.Token;

    /// <summary>Whether this try's own timeout fired.</summary>
    public bool Expired => Timer.IsCancellationRequested;

    public void Start() => Timer.CancelAfter(Delay);

    public void Dispose()
    {
        _tokenLink.Dispose();
        _anyTimeoutLink?.Dispose();
        Timer.Dispose();
    }
}
