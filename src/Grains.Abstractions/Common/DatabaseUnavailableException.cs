namespace AgenteVendedor.Common;

/// <summary>
/// PostgreSQL could not be reached or dropped the connection (a restart, a failover): the request may
/// be tried again in a moment. Raised by the silo in place of the driver's own exceptions, which cannot
/// cross a grain call; the Api answers 503 with Retry-After.
/// </summary>
[GenerateSerializer, Alias("av.DatabaseUnavailableException")]
public sealed class DatabaseUnavailableException : Exception
{
    public DatabaseUnavailableException()
    {
    }

    public DatabaseUnavailableException(string message)
        : base(message)
    {
    }

    public DatabaseUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>PostgreSQL refused a statement for a reason that retrying will not fix (a bug): the Api answers 500.</summary>
[GenerateSerializer, Alias("av.DatabaseFailureException")]
public sealed class DatabaseFailureException : Exception
{
    public DatabaseFailureException()
    {
    }

    public DatabaseFailureException(string message)
        : base(message)
    {
    }

    public DatabaseFailureException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>PostgreSQL's SQLSTATE, when it answered one.</summary>
    [Id(0)]
    public string? SqlState { get; init; }
}
