namespace AgenteVendedor.Catalog;

public enum ImportMode
{
    /// <summary>Products absent from the file become inactive with no stock.</summary>
    Replace = 1,

    /// <summary>Upsert only.</summary>
    Update = 2,
}

/// <summary>One data row of an import file, numbered as a spreadsheet shows it (header = 1).</summary>
[GenerateSerializer, Immutable, Alias("av.ImportRow")]
public sealed record ImportRow(
    [property: Id(0)] int Row,
    [property: Id(1)] string? Sku,
    [property: Id(2)] string Name,
    [property: Id(3)] string Description,
    [property: Id(4)] decimal Price,
    [property: Id(5)] long Stock,
    [property: Id(6)] string? Category,
    [property: Id(7)] bool? Active);

/// <param name="KeyBySku">The file has a sku column: rows are matched by sku, else by normalised name.</param>
/// <param name="ValidateOnly">Check every row and report, change nothing (the file already has unreadable rows).</param>
[GenerateSerializer, Immutable, Alias("av.ImportRequest")]
public sealed record ImportRequest(
    [property: Id(0)] ImportMode Mode,
    [property: Id(1)] bool KeyBySku,
    [property: Id(2)] IReadOnlyList<ImportRow> Rows,
    [property: Id(3)] bool ValidateOnly = false);

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

/// <summary>Either a summary of what changed, or every error found (and nothing changed).</summary>
[GenerateSerializer, Immutable, Alias("av.ImportOutcome")]
public sealed record ImportOutcome(
    [property: Id(0)] ImportSummary? Summary,
    [property: Id(1)] IReadOnlyList<ImportError> Errors,
    [property: Id(2)] bool EmpresaMissing = false);
