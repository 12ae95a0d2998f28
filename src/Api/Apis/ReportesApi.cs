using System.Globalization;
using System.Security.Claims;
using System.Text;
using AgenteVendedor.Api.Contracts;
using AgenteVendedor.Api.Infrastructure;
using AgenteVendedor.Catalog;
using AgenteVendedor.Sales;
using CsvHelper;
using CsvHelper.Configuration;
using Microsoft.AspNetCore.Http.HttpResults;

namespace AgenteVendedor.Api.Apis;

public static class ReportesApi
{
    private const int TopProducts = 10;
    private const int ExportPageSize = 500;

    public static RouteGroupBuilder MapReportesApi(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/reportes").WithTags("Reportes").RequireAuthorization(Policies.Read);
        group.MapGet("/resumen", Summary).WithName("ResumenVentas")
            .WithSummary("Ventas confirmadas: cantidad, ingresos, ticket promedio, productos más vendidos y ventas por día (zona horaria de la empresa).")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        group.MapGet("/ventas.csv", Export).WithName("ExportarVentas")
            .WithSummary("Las ventas del periodo en CSV, una fila por ítem.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .ProducesProblems(StatusCodes.Status400BadRequest);
        return group;
    }

    public static async Task<Results<Ok<ResumenResponse>, ProblemAnswer>> Summary(ClaimsPrincipal user, IClusterClient grains, string? desde, string? hasta)
    {
        if (!PeriodReader.TryRead(desde, hasta, out var period, out var error))
        {
            return Problems.BadRequest(error!);
        }

        var summary = await grains.GetGrain<ISalesLedgerGrain>(user.EmpresaId()).SummarizeAsync(period, TopProducts);
        return TypedResults.Ok(ResumenResponse.From(summary));
    }

    public static async Task<Results<EmptyHttpResult, ProblemAnswer>> Export(ClaimsPrincipal user, IClusterClient grains, HttpContext http, string? desde, string? hasta)
    {
        if (!PeriodReader.TryRead(desde, hasta, out var period, out var error))
        {
            return Problems.BadRequest(error!);
        }

        var ledger = grains.GetGrain<ISalesLedgerGrain>(user.EmpresaId());
        http.Response.ContentType = "text/csv; charset=utf-8";
        http.Response.Headers.ContentDisposition = $"attachment; filename=\"ventas-{DateTime.UtcNow:yyyyMMdd}.csv\"";
        await using var text = new StreamWriter(http.Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 65536, leaveOpen: true);
        await using var csv = new CsvWriter(text, new CsvConfiguration(CultureInfo.InvariantCulture) { NewLine = "\r\n" });
        foreach (var column in new[] { "venta_id", "creado_en", "estado", "cliente_id", "canal", "total_venta", "sku", "nombre", "cantidad", "precio_unitario", "subtotal" })
        {
            csv.WriteField(column);
        }

        await csv.NextRecordAsync();
        for (var page = 1; ; page++)
        {
            var batch = await ledger.ListOrdersAsync(new OrderQuery(period, null, null, page, ExportPageSize));
            foreach (var order in batch.Items)
            {
                foreach (var item in order.Items)
                {
                    csv.WriteField(order.Id.ToString());
                    csv.WriteField(order.CreatedAt.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
                    csv.WriteField(SpreadsheetText.Protect(order.Status));
                    csv.WriteField(order.CustomerId?.ToString() ?? string.Empty);
                    csv.WriteField(SpreadsheetText.Protect(order.Channel));
                    csv.WriteField(order.Total.ToString("0.00", CultureInfo.InvariantCulture));
                    // Sku and name are what the catalog held: text an admin typed, maybe a formula.
                    csv.WriteField(SpreadsheetText.Protect(item.Sku));
                    csv.WriteField(SpreadsheetText.Protect(item.Name));
                    csv.WriteField(item.Quantity.ToString(CultureInfo.InvariantCulture));
                    csv.WriteField(item.UnitPrice.ToString("0.00", CultureInfo.InvariantCulture));
                    csv.WriteField(item.Subtotal.ToString("0.00", CultureInfo.InvariantCulture));
                    await csv.NextRecordAsync();
                }
            }

            if ((long)page * ExportPageSize >= batch.Total)
            {
                break;
            }
        }

        await csv.FlushAsync();
        return TypedResults.Empty;
    }
}
