namespace AgenteVendedor.Catalog;

public enum ImportMode
{
    /// <summary>Products absent from the file become inactive with no stock.</summary>
    Replace = 1,

    /// <summary>Upsert only.</summary>
    Update = 2,
}

/// <summary>A catalog CSV file as uploaded (format in API.md), to be applied all or nothing.</summary>
[GenerateSerializer, Immutable, Alias("av.ImportRequest")]
public sealed record ImportRequest([property: Id(0)] ImportMode Mode, [property: Id(1)] byte[] File);

[GenerateSerializer, Immutable, Alias("av.ImportError")]
public sealed record ImportError([property: Id(0)] int Row, [property: Id(1)] string? Column, [property: Id(2)] string Message);

[GenerateSerializer, Immutable, Alias("av.ImportSummary")]
public sealed record ImportSummary(
    [property: Id(0)] ImportMode Mode,
    [property: Id(1)] int Rows,
    [property: Id(2)] int Created,
    [property: Id(3)] int Updated,
    [property: Id(4)] int Deactivated,
    [property: Id(5)] int Unchanged);

/// <summary>Either a summary of what changed, or the errors found (the first ones, by row; nothing changed).</summary>
[GenerateSerializer, Immutable, Alias("av.ImportOutcome")]
public sealed record ImportOutcome(
    [property: Id(0)] ImportSummary? Summary,
    [property: Id(1)] IReadOnlyList<ImportError> Errors,
    [property: Id(2)] int TotalErrors = 0,
    [property: Id(3)] bool EmpresaMissing = false)
{
    public const int MaxReportedErrors = 100;
}
