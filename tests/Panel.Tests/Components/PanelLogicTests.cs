using System.Net;
using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Features.Ingresar;
using AgenteVendedor.Panel.Features.Inicio;
using AgenteVendedor.Panel.Formatting;

namespace AgenteVendedor.Panel.Tests.Components;

public sealed class PanelLogicTests
{
    [Theory]
    [InlineData("/ventas", "/ventas")]
    [InlineData("/productos?buscar=martillo", "/productos?buscar=martillo")]
    [InlineData("https://otro.example/robar", "/")]
    [InlineData("//otro.example", "/")]
    [InlineData("/\\otro.example", "/")]
    [InlineData("/ingresar", "/")]
    [InlineData(null, "/")]
    [InlineData("", "/")]
    public void After_signing_in_the_user_only_goes_back_to_a_page_of_the_panel(string? volver, string expected) =>
        Assert.Equal(expected, IngresarPage.LocalOnly(volver));

    [Fact]
    public void A_validation_problem_gives_each_field_its_messages_and_each_bad_csv_row_its_line()
    {
        const string body = """
            {"title":"Datos inválidos","status":422,"detail":"El archivo tiene 3 error(es).",
             "errors":{"precio":["Debe ser mayor que cero."]},
             "errores":[{"fila":4,"columna":"precio","mensaje":"'caro' no es un precio válido."},{"fila":7,"columna":null,"mensaje":"Fila vacía."}],
             "total_errores":3}
            """;
        var problem = ApiProblem.Parse(HttpStatusCode.UnprocessableEntity, body);

        Assert.Equal("El archivo tiene 3 error(es).", problem.Message);
        Assert.Equal("Debe ser mayor que cero.", problem.For("precio"));
        Assert.Null(problem.For("nombre"));
        Assert.Equal(["Fila 4, columna precio: 'caro' no es un precio válido.", "Fila 7: Fila vacía."], problem.Rows.Select(r => r.ToString()));
        Assert.Equal(3, problem.TotalErrors);
    }

    [Fact]
    public void A_body_that_is_not_problem_json_still_gives_a_message_in_spanish()
    {
        var problem = ApiProblem.Parse(HttpStatusCode.BadGateway, "<html>proxy</html>");
        Assert.Equal("El servidor tuvo un problema", problem.Message);
    }

    [Fact]
    public void The_chart_has_thirty_days_ending_today_with_days_without_sales_as_zero()
    {
        var format = new EmpresaFormat();
        format.Use("es-CO", "COP", "America/Bogota");
        var today = new DateOnly(2026, 12, 1);
        var chart = DayChart.From(today, [new VentasDia(today, 3, 90_000m), new VentasDia(today.AddDays(-29), 1, 10_000m)], format);

        Assert.Equal(30, chart.Ventas.Length);
        Assert.Equal(1, chart.Ventas[0]);
        Assert.Equal(3, chart.Ventas[29]);
        Assert.Equal(26, chart.Ventas.Count(v => v == 0) - 2);
        Assert.Equal(30, chart.Labels.Length);
        Assert.Contains("nov", chart.Labels[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Query_strings_leave_out_empty_filters_and_escape_what_the_user_typed()
    {
        string path = new Query("/productos").Add("buscar", " llave 3/8 & tuerca ").Add("categoria", "").Add("activo", (bool?)null).Add("pagina", 2);
        Assert.Equal("/productos?buscar=llave%203%2F8%20%26%20tuerca&pagina=2", path);
    }
}

public sealed class SessionTests
{
    private static readonly AgenteVendedor.Panel.Session.SignedInUser User =
        new(Guid.NewGuid(), "Marta", "marta@ejemplo.co", "vendedor", Guid.NewGuid(), "Ferretería");

    [Fact]
    public void A_session_is_current_until_its_token_expires_and_carries_the_role()
    {
        var now = DateTimeOffset.UtcNow;
        var principal = AgenteVendedor.Panel.Session.PanelClaims.Create(User, "jwt-del-api", now.AddMinutes(5));

        Assert.True(AgenteVendedor.Panel.Session.PanelClaims.IsCurrent(principal, now));
        Assert.False(AgenteVendedor.Panel.Session.PanelClaims.IsCurrent(principal, now.AddMinutes(6)));
        Assert.True(AgenteVendedor.Panel.Session.PanelClaims.CanEdit(principal));
        Assert.False(AgenteVendedor.Panel.Session.PanelClaims.IsAdmin(principal));
        Assert.Equal("jwt-del-api", AgenteVendedor.Panel.Session.PanelClaims.TokenOf(principal));
    }

    [Fact]
    public void A_session_without_an_expiry_is_not_current()
    {
        var anonymous = new System.Security.Claims.ClaimsPrincipal(new System.Security.Claims.ClaimsIdentity());
        Assert.False(AgenteVendedor.Panel.Session.PanelClaims.IsCurrent(anonymous, DateTimeOffset.UtcNow));
    }
}
