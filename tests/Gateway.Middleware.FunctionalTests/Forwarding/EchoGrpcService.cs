using System.Collections.Concurrent;
using Gateway.Middleware.FunctionalTests.Grpc;
using Grpc.Core;

namespace Gateway.Middleware.FunctionalTests.Forwarding;

/// <summary>
/// The upstream's Echo service. Registered as a singleton instance so a test can read what the upstream
/// received. A message starting with <c>fail:</c> makes the call fail with <see cref="StatusCode.NotFound"/>
/// and the rest of the message as detail: before any response (trailers-only) for <c>Unary</c>, after
/// <c>count</c> messages (status in trailers) for <c>ServerStream</c>. A negative <c>count</c> makes
/// <c>ServerStream</c> send one message and then wait until the call is cancelled.
/// </summary>
public sealed class EchoGrpcService : Echo.EchoBase
{
    public const string FailPrefix = "fail:";

    /// <summary>Every request message the upstream received, in arrival order.</summary>
    public ConcurrentQueue<string> Received { get; } = new();

    /// <summary>The <c>:authority</c> / <c>Host</c> of each call as the upstream saw it.</summary>
    public ConcurrentQueue<string> Hosts { get; } = new();

    /// <summary>Completed when an open-ended <c>ServerStream</c> call sees its cancellation token fire.</summary>
    public TaskCompletionSource StreamCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public override Task<EchoReply> Unary(EchoRequest request, ServerCallContext context)
    {
        Record(request, context);
        context.ResponseTrailers.Add("x-custom", "v");
        if (request.Message.StartsWith(FailPrefix, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.NotFound, request.Message[FailPrefix.Length..]));
        }

        return Task.FromResult(new EchoReply { Message = request.Message, Index = 0 });
    }

    public override async Task ServerStream(EchoRequest request, IServerStreamWriter<EchoReply> responseStream, ServerCallContext context)
    {
        Record(request, context);
        if (request.Count < 0)
        {
            await responseStream.WriteAsync(new EchoReply { Message = $"{request.Message}-0", Index = 0 }, context.CancellationToken);
            using var registration = context.CancellationToken.Register(() => StreamCancelled.TrySetResult());
            await StreamCancelled.Task;
            return;
        }

        for (var i = 0; i < request.Count; i++)
        {
            await responseStream.WriteAsync(new EchoReply { Message = $"{request.Message}-{i}", Index = i }, context.CancellationToken);
        }

        if (request.Message.StartsWith(FailPrefix, StringComparison.Ordinal))
        {
            throw new RpcException(new Status(StatusCode.NotFound, request.Message[FailPrefix.Length..]));
        }
    }

    private void Record(EchoRequest request, ServerCallContext context)
    {
        Received.Enqueue(request.Message);
        Hosts.Enqueue(context.Host);
    }
}
