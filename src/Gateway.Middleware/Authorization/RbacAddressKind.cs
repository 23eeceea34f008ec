namespace Gateway.Middleware.Authorization;

internal enum RbacAddressKind
{
    /// <summary>The connection's peer (<c>ipBlocks</c>, <c>source.ip</c>).</summary>
    Peer,

    /// <summary>The client per <c>X-Forwarded-For</c> and the trusted hops (<c>remoteIpBlocks</c>, <c>remote.ip</c>).</summary>
    Remote,
}
