namespace Gateway.Middleware.Forwarding;

/// <summary>
/// Hands the client's request body to the mirrors as the forwarded request reads it, so a mirror never
/// needs the body buffered whole and never holds up the forwarded request: each mirror gets a bounded pipe
/// (<see cref="MirrorBodyContent"/>) and is abandoned when it falls behind.
/// </summary>
internal sealed class MirrorTee
{
    private MirrorBodyContent[] _branches = [];
    private bool _ended;

    /// <summary>Adds a mirror's copy of the body.</summary>
    public void Add(MirrorBodyContent branch) => _branches = [.. _branches, branch];

    /// <summary>Copies a chunk read from the client to every mirror still following.</summary>
    public void Write(ReadOnlySpan<byte> chunk)
    {
        foreach (var branch in _branches)
        {
            branch.Write(chunk);
        }
    }

    /// <summary>The client's body ended: every mirror gets a complete body.</summary>
    public void Complete()
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        foreach (var branch in _branches)
        {
            branch.Complete(null);
        }
    }

    /// <summary>Reading the client's body failed: every mirror's request fails too.</summary>
    public void Fail(Exception exception)
    {
        if (_ended)
        {
            return;
        }

        _ended = true;
        foreach (var branch in _branches)
        {
            branch.Complete(exception);
        }
    }

    /// <summary>
    /// The forwarded request is over. A body it did not read to the end never reaches the mirrors whole, so
    /// their requests are aborted rather than left waiting.
    /// </summary>
    public void End()
    {
        if (!_ended)
        {
            Fail(new IOException("The forwarded request ended before the client's request body was read to its end."));
        }
    }
}
