namespace AgenteVendedor.Common;

/// <summary>One page of a list, numbered from 1.</summary>
[GenerateSerializer, Immutable, Alias("av.Page`1")]
public sealed record Page<T>(
    [property: Id(0)] IReadOnlyList<T> Items,
    [property: Id(1)] long Total,
    [property: Id(2)] int Number,
    [property: Id(3)] int Size);

/// <summary>Who asks for a change: written to the audit log with it.</summary>
[GenerateSerializer, Immutable, Alias("av.Actor")]
public sealed record Actor([property: Id(0)] Guid UserId, [property: Id(1)] string Role);
