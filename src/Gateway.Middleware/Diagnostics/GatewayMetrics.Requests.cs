using System.Diagnostics;
using Gateway.Middleware.Features;

namespace Gateway.Middleware.Diagnostics;

internal sealed partial class GatewayMetrics
{
    /// <summary>
    /// Records one answered request. The tag list lives on the stack and every value is a cached string or box:
    /// nothing is allocated beyond what the listeners themselves do.
    /// </summary>
    public void RequestCompleted(GatewayFeature? feature, string method, int status, string responseFlags, TimeSpan duration)
    {
        if (!RequestsEnabled)
        {
            return;
        }

        var tags = default(TagList);
        if (feature?.Route is { } route)
        {
            tags.Add(MetricTags.Route, route.Name);
        }

        if (feature?.Cluster is { } cluster)
        {
            tags.Add(MetricTags.Destination, cluster.ServiceName);
            if (cluster.Subset is { } subset)
            {
                tags.Add(MetricTags.Subset, subset);
            }
        }

        tags.Add(MetricTags.StatusCode, MetricTagValues.StatusCode(status));
        tags.Add(MetricTags.ResponseFlags, responseFlags);
        tags.Add(MetricTags.Method, MetricTagValues.Method(method));

        if (_requests.Enabled)
        {
            _requests.Add(1, in tags);
        }

        if (_duration.Enabled)
        {
            _duration.Record(duration.TotalSeconds, in tags);
        }
    }
}
