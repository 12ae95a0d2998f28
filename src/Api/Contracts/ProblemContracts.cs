using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace AgenteVendedor.Api.Contracts;

// Problems with fields of their own, served as these types so that the OpenAPI document describes what is sent.

/// <summary>409 of a sale: the first product short of stock and how many units there are.</summary>
public sealed class StockInsuficienteProblem : ProblemDetails
{
    [JsonPropertyName("producto_id")]
    public Guid ProductoId { get; init; }

    [JsonPropertyName("disponible")]
    public int Disponible { get; init; }
}

/// <summary>422 of a CSV import: the bad rows (the first 100, by row) and how many there are in all; nothing was changed.</summary>
public sealed class ErroresCsvProblem : ProblemDetails
{
    [JsonPropertyName("errores")]
    public IReadOnlyList<ErrorCsv> Errores { get; init; } = [];

    [JsonPropertyName("total_errores")]
    public int TotalErrores { get; init; }
}
