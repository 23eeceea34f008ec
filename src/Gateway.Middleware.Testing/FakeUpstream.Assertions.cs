using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;

namespace Gateway.Middleware.Testing;

public sealed partial class FakeUpstream
{
    /// <summary>The default deadline of <see cref="WaitForRequestAsync"/>: 10 seconds.</summary>
    public static readonly TimeSpan DefaultWaitTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Asserts that exactly one request was received and returns it.</summary>
    /// <returns>The request.</returns>
    /// <exception cref="GatewayAssertionException">None, or more than one, was received (the message lists them).</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Reads as LINQ's Single: exactly one request.")]
    public FakeRequest Single()
    {
        var requests = Requests;
        return requests.Count == 1 ? requests[0] : throw Failure($"expected exactly one request, received {requests.Count}", requests);
    }

    /// <summary>Asserts that exactly one received request matches <paramref name="predicate"/> and returns it.</summary>
    /// <param name="predicate">The condition, e.g. <c>r =&gt; r.Path == "/reviews/1"</c>.</param>
    /// <param name="condition">Filled in by the compiler with the text of <paramref name="predicate"/>, for the message.</param>
    /// <returns>The matching request.</returns>
    /// <exception cref="GatewayAssertionException">None, or more than one, matches.</exception>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Reads as LINQ's Single: exactly one request.")]
    public FakeRequest Single(Func<FakeRequest, bool> predicate, [CallerArgumentExpression(nameof(predicate))] string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var requests = Requests;
        var matching = requests.Where(predicate).ToList();
        return matching.Count == 1 ? matching[0] : throw Failure($"expected exactly one request matching {condition}, {matching.Count} matched", requests);
    }

    /// <summary>Asserts that at least one received request matches <paramref name="predicate"/>; returns the first.</summary>
    /// <param name="predicate">The condition, e.g. <c>r =&gt; r.HasHeader("end-user", "jason")</c>.</param>
    /// <param name="condition">Filled in by the compiler with the text of <paramref name="predicate"/>, for the message.</param>
    /// <returns>The first matching request.</returns>
    /// <exception cref="GatewayAssertionException">No request matches (the message lists those received).</exception>
    public FakeRequest AssertReceived(Func<FakeRequest, bool> predicate, [CallerArgumentExpression(nameof(predicate))] string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var requests = Requests;
        foreach (var request in requests)
        {
            if (predicate(request))
            {
                return request;
            }
        }

        throw Failure($"no request matched {condition}", requests);
    }

    /// <summary>Asserts that no received request matches <paramref name="predicate"/>.</summary>
    /// <param name="predicate">The condition.</param>
    /// <param name="condition">Filled in by the compiler with the text of <paramref name="predicate"/>, for the message.</param>
    /// <exception cref="GatewayAssertionException">A request matches.</exception>
    public void AssertNotReceived(Func<FakeRequest, bool> predicate, [CallerArgumentExpression(nameof(predicate))] string? condition = null)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        var requests = Requests;
        foreach (var request in requests)
        {
            if (predicate(request))
            {
                throw Failure($"expected no request matching {condition}, request #{request.Sequence} did", requests);
            }
        }
    }

    /// <summary>Asserts that no request at all was received.</summary>
    /// <exception cref="GatewayAssertionException">One was.</exception>
    public void AssertNoRequests()
    {
        var requests = Requests;
        if (requests.Count > 0)
        {
            throw Failure($"expected no request, received {requests.Count}", requests);
        }
    }

    /// <summary>
    /// Waits until a request matching <paramref name="predicate"/> (any request when <see langword="null"/>) has
    /// been received, including one received before the call, and returns the first such request. For requests
    /// that arrive in the background (mirrors, retries, fire-and-forget calls); no polling.
    /// </summary>
    /// <param name="predicate">The condition; <see langword="null"/> accepts any request.</param>
    /// <param name="timeout">The deadline; default <see cref="DefaultWaitTimeout"/> (10 s).</param>
    /// <param name="condition">Filled in by the compiler with the text of <paramref name="predicate"/>, for the message.</param>
    /// <returns>The request.</returns>
    /// <exception cref="GatewayAssertionException">None arrived before the deadline.</exception>
    public async Task<FakeRequest> WaitForRequestAsync(Func<FakeRequest, bool>? predicate = null, TimeSpan? timeout = null, [CallerArgumentExpression(nameof(predicate))] string? condition = null)
    {
        var limit = timeout ?? DefaultWaitTimeout;
        var started = Stopwatch.GetTimestamp();
        while (true)
        {
            Task arrived;
            lock (_requests)
            {
                arrived = _arrived.Task;
                foreach (var request in _requests)
                {
                    if (predicate is null || predicate(request))
                    {
                        return request;
                    }
                }
            }

            var remaining = limit - Stopwatch.GetElapsedTime(started);
            if (remaining <= TimeSpan.Zero)
            {
                break;
            }

            try
            {
                await arrived.WaitAsync(remaining).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                break;
            }
        }

        var what = predicate is null ? "a request" : $"a request matching {condition}";
        throw Failure(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"waited {limit.TotalSeconds:0.###} s for {what}, none arrived"), Requests);
    }

    private GatewayAssertionException Failure(string what, IReadOnlyList<FakeRequest> requests)
    {
        var message = new StringBuilder();
        message.Append(this).Append(": ").Append(what).Append('.');
        if (requests.Count == 0)
        {
            message.Append("\nIt received no request.");
            return new GatewayAssertionException(message.ToString());
        }

        const int Shown = 20;
        message.Append("\nIt received ").Append(requests.Count).Append(requests.Count == 1 ? " request:" : " requests:");
        var first = Math.Max(0, requests.Count - Shown);
        if (first > 0)
        {
            message.Append("\n  (").Append(first).Append(" older not shown)");
        }

        for (var i = first; i < requests.Count; i++)
        {
            message.Append("\n  #").Append(requests[i].Sequence).Append(' ').Append(requests[i]);
        }

        return new GatewayAssertionException(message.ToString());
    }
}
