namespace Gateway.Middleware.Authorization;

/// <summary>The peer or client address is in one of the blocks. A request without an address matches none.</summary>
internal sealed class RbacIpMatcher : RbacMatcher
{
    private readonly RbacCidr[] _blocks;
    private readonly RbacAddressKind _kind;

    public RbacIpMatcher(RbacCidr[] blocks, RbacAddressKind kind)
    {
        _blocks = blocks;
        _kind = kind;
    }

    public override bool Matches(in RbacRequest request)
    {
        Span<byte> address = stackalloc byte[RbacAddress.MaxLength];
        var found = _kind == RbacAddressKind.Peer
            ? RbacAddress.TryGetPeer(request.Context, address, out var length)
            : RbacAddress.TryGetRemote(request.Context, request.TrustedProxyHops, address, out length);
        return found && RbacCidr.ContainsAny(_blocks, address[..length]);
    }
}
