namespace AgenteVendedor.Common;

/// <summary>Why a command was refused; the Api turns it into a problem+json answer.</summary>
public enum ProblemKind
{
    Validation = 1,
    NotFound = 2,
    Conflict = 3,
    Forbidden = 4,
    Unauthorized = 5,
    TooManyRequests = 6,
    Unavailable = 7,
}

[GenerateSerializer, Immutable, Alias("av.FieldError")]
public sealed record FieldError([property: Id(0)] string Field, [property: Id(1)] string Message);

/// <summary>A refusal in Spanish, meant to be read by the person who sent the request.</summary>
[GenerateSerializer, Immutable, Alias("av.Problem")]
public sealed record Problem(
    [property: Id(0)] ProblemKind Kind,
    [property: Id(1)] string Message,
    [property: Id(2)] FieldError[]? Errors = null,
    [property: Id(3)] int? RetryAfterSeconds = null,
    [property: Id(4)] StockShortage? Shortage = null)
{
    public static Problem NotFound(string message) => new(ProblemKind.NotFound, message);

    public static Problem Conflict(string message) => new(ProblemKind.Conflict, message);

    public static Problem Invalid(string field, string message) =>
        new(ProblemKind.Validation, message, [new FieldError(field, message)]);
}

/// <summary>Not enough stock of one product: how many units there are.</summary>
[GenerateSerializer, Immutable, Alias("av.StockShortage")]
public sealed record StockShortage([property: Id(0)] Guid ProductId, [property: Id(1)] int Available);

/// <summary>The result of a command: a value, or the problem that stopped it.</summary>
[GenerateSerializer, Immutable, Alias("av.Outcome`1")]
public sealed record Outcome<T>([property: Id(0)] T? Value, [property: Id(1)] Problem? Problem)
{
    public bool Succeeded => Problem is null;

    public static implicit operator Outcome<T>(T value) => new(value, null);

    public static implicit operator Outcome<T>(Problem problem) => new(default, problem);
}
