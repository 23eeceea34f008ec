namespace Gateway.Middleware.FunctionalTests.Infrastructure;

/// <summary>Tests that measure process-wide quantities (memory) run alone.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SerialTests
{
    public const string Name = "Serial";
}
