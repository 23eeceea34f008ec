using Gateway.Middleware.Configuration;

namespace Gateway.Middleware.Routing.Actions;

/// <summary>A compiled direct response (Istio <c>HTTPDirectResponse</c>).</summary>
internal sealed class DirectResponseAction
{
    public DirectResponseAction(DirectResponseConfig config)
    {
        Status = config.Status;
        Body = config.Body is null ? null : System.Text.Encoding.UTF8.GetBytes(config.Body);
    }

    public int Status { get; }

    public byte[]? Body { get; }
}
