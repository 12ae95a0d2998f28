using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Features.Productos;
using Bunit;
using Microsoft.Extensions.DependencyInjection;
using MudBlazor.Services;

namespace AgenteVendedor.Panel.Tests.Components;

public sealed class CsvErroresTests : BunitContext
{
    public CsvErroresTests()
    {
        Services.AddMudServices();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    private static ApiProblem Refused(int total, params CsvRowError[] rows) =>
        new(422, "Datos inválidos", $"El archivo tiene {total} error(es); no se cambió nada.", new Dictionary<string, string[]>(), rows) { TotalErrors = total };

    [Fact]
    public void Every_bad_row_is_listed_with_its_line_and_column()
    {
        var cut = Render<CsvErrores>(p => p
            .Add(c => c.Problem, Refused(2, new CsvRowError(4, "precio", "'caro' no es un precio válido."), new CsvRowError(9, "sku", "El SKU FER-001 está repetido (fila 2).")))
            .Add(c => c.Total, 2));

        Assert.Equal(
            ["Fila 4, columna precio: 'caro' no es un precio válido.", "Fila 9, columna sku: El SKU FER-001 está repetido (fila 2)."],
            cut.FindAll("ul.csv-errors li").Select(li => li.TextContent.Trim()));
        Assert.Contains("no se cambió nada", cut.Find("[role=alert]").TextContent, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".csv-errors-more"));
    }

    [Fact]
    public void When_the_api_lists_only_the_first_errors_the_rest_are_counted()
    {
        var cut = Render<CsvErrores>(p => p
            .Add(c => c.Problem, Refused(120, new CsvRowError(2, "stock", "Debe ser un número entero.")))
            .Add(c => c.Total, 120));

        Assert.Contains("Y 119 error(es) más", cut.Find(".csv-errors-more").TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public void Nothing_is_shown_when_the_import_was_accepted()
    {
        var cut = Render<CsvErrores>(p => p.Add(c => c.Problem, null));
        Assert.Empty(cut.Markup.Trim());
    }
}
