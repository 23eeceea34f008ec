using System.Diagnostics;
using System.Globalization;
using System.Net;

namespace Gateway.Middleware.LoadTests.Harness;

/// <summary>HttpClient checks around the load: readiness (polled with a deadline), routing, allocated bytes.</summary>
internal sealed class ProbeClient : IDisposable
{
    private static readonly TimeSpan ReadyDeadline = TimeSpan.FromSeconds(90);
    private readonly HttpClient _client = new(new SocketsHttpHandler { MaxConnectionsPerServer = 16, UseProxy = false, AllowAutoRedirect = false })
    {
        Timeout = TimeSpan.FromSeconds(10),
    };

    public async Task WaitReadyAsync(Target target, ChildProcesses children, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        string last = "no answer yet";
        while (clock.Elapsed < ReadyDeadline)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (target.Process.HasExited)
            {
                throw new InvalidOperationException($"{target.Name}: the process exited ({target.Process.ExitCode}) before answering; see {children.LogPath(ProcessName(target))} (tail below)\n{Tail(children, target)}");
            }

            try
            {
                using var response = await SendAsync(target, withHeader: true, withToken: true, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    if (!target.Grpc)
                    {
                        return;
                    }

                    await response.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
                    if (response.TrailingHeaders.TryGetValues("grpc-status", out var status) && status.FirstOrDefault() == "0")
                    {
                        return;
                    }

                    last = "200 without grpc-status 0";
                    await Task.Delay(200, cancellationToken).ConfigureAwait(false);
                    continue;
                }

                last = $"status {(int)response.StatusCode}";
            }
            catch (HttpRequestException ex)
            {
                last = ex.Message;
            }

            await Task.Delay(200, cancellationToken).ConfigureAwait(false);
        }

        throw new InvalidOperationException($"{target.Name}: not ready after {ReadyDeadline.TotalSeconds:N0}s (last: {last})\n{Tail(children, target)}");
    }

    /// <summary>The configuration generation the IstioGateway host serves (its config dump's <c>generation</c>).</summary>
    public async Task<long> GenerationAsync(Uri configDump, CancellationToken cancellationToken)
    {
        using var stream = await _client.GetStreamAsync(configDump, cancellationToken).ConfigureAwait(false);
        using var json = await System.Text.Json.JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
        return json.RootElement.GetProperty("generation").GetInt64();
    }

    public async Task CheckRoutingAsync(Target target, CancellationToken cancellationToken)
    {
        if (target.ExpectNotFound)
        {
            using var response = await SendAsync(target, withHeader: false, withToken: true, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode != HttpStatusCode.NotFound)
            {
                throw new InvalidOperationException($"{target.Name}: a request without {Bench.Header} got {(int)response.StatusCode}, expected 404: the route does not match on the header");
            }
        }

        if (target.Token is not null)
        {
            using var response = await SendAsync(target, withHeader: true, withToken: false, cancellationToken).ConfigureAwait(false);
            if (response.StatusCode is not (HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden))
            {
                throw new InvalidOperationException($"{target.Name}: a request without a token got {(int)response.StatusCode}, expected 401 or 403");
            }
        }
    }

    /// <summary>Sends a fixed number of requests (16 at a time) and divides the process's allocated bytes by it.</summary>
    public async Task<double> AllocatedBytesPerRequestAsync(Target target, int requests, CancellationToken cancellationToken)
    {
        // Warm the client's connections first, so only proxied requests fall between the two readings.
        await SendManyAsync(target, 64, cancellationToken).ConfigureAwait(false);
        var before = await AllocatedBytesAsync(target, cancellationToken).ConfigureAwait(false);
        await SendManyAsync(target, requests, cancellationToken).ConfigureAwait(false);
        var after = await AllocatedBytesAsync(target, cancellationToken).ConfigureAwait(false);
        var perRequest = (after - before) / (double)requests;
        Console.WriteLine($"allocated: {target.Name,-34} {perRequest,8:N0} B/request over {requests:N0} requests");
        return perRequest;
    }

    public void Dispose() => _client.Dispose();

    private async Task SendManyAsync(Target target, int count, CancellationToken cancellationToken)
    {
        var next = 0;
        async Task Worker()
        {
            while (Interlocked.Increment(ref next) <= count)
            {
                using var response = await SendAsync(target, withHeader: true, withToken: true, cancellationToken).ConfigureAwait(false);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"{target.Name}: status {(int)response.StatusCode} while measuring allocations");
                }

                await response.Content.CopyToAsync(Stream.Null, cancellationToken).ConfigureAwait(false);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Worker())).ConfigureAwait(false);
    }

    private async Task<long> AllocatedBytesAsync(Target target, CancellationToken cancellationToken)
    {
        var text = await _client.GetStringAsync(new Uri($"http://127.0.0.1:{target.AllocPort}/"), cancellationToken).ConfigureAwait(false);
        return long.Parse(text, CultureInfo.InvariantCulture);
    }

    private Task<HttpResponseMessage> SendAsync(Target target, bool withHeader, bool withToken, CancellationToken cancellationToken)
    {
        var request = new HttpRequestMessage(target.Grpc ? HttpMethod.Post : HttpMethod.Get, target.Url);
        if (target.Grpc)
        {
            request.Content = new ByteArrayContent(LoadTools.GrpcRequest);
            request.Content.Headers.ContentType = new("application/grpc");
            request.Headers.TE.ParseAdd("trailers");
        }

        request.Headers.Host = target.Host;
        if (target.Http2)
        {
            request.Version = HttpVersion.Version20;
            request.VersionPolicy = HttpVersionPolicy.RequestVersionExact;
        }

        if (withHeader)
        {
            request.Headers.Add(Bench.Header, Bench.HeaderValue);
        }

        if (withToken && target.Token is not null)
        {
            request.Headers.Authorization = new("Bearer", target.Token);
        }

        return _client.SendAsync(request, cancellationToken);
    }

    private static string ProcessName(Target target) => Apps.ProcessNames.TryGetValue(target.Process.Id, out var name) ? name : "?";

    private static string Tail(ChildProcesses children, Target target)
    {
        try
        {
            return string.Join('\n', File.ReadLines(children.LogPath(ProcessName(target))).TakeLast(20));
        }
        catch (IOException)
        {
            return "(no log)";
        }
    }
}
