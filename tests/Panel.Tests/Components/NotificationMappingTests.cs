using System.Text.Json;
using AgenteVendedor.Panel.Api;
using AgenteVendedor.Panel.Features.Canales;

namespace AgenteVendedor.Panel.Tests.Components;

public sealed class NotificationMappingTests
{
    private static Dictionary<string, JsonElement> Answer(string json) => JsonSerializer.Deserialize<Dictionary<string, JsonElement>>(json)!;

    [Fact]
    public void The_api_mapping_becomes_one_row_per_event_and_goes_back_with_null_for_events_without_template()
    {
        var mapping = new NotificationMapping(Answer("""
            {"venta_confirmada":{"nombre":"pedido_confirmado","idioma":"es_CO","parametros":["cliente","venta"]},"venta_enviada":null,
             "parametros_disponibles":["cliente","empresa","venta"]}
            """));

        Assert.Equal(6, mapping.Rows.Count);
        Assert.Equal("pedido_confirmado|es_CO", mapping.Rows[0].Plantilla);
        Assert.Equal("cliente, venta", mapping.Rows[0].Parametros);
        Assert.Equal(["cliente", "empresa", "venta"], mapping.Available);

        mapping.Rows[2].Plantilla = "pedido_enviado|es";
        mapping.Rows[2].Parametros = " cliente ,, venta ";
        var request = mapping.ToRequest();
        Assert.Equal(6, request.Count);
        var shipped = request["venta_enviada"]!;
        Assert.Equal(("pedido_enviado", "es"), (shipped.Nombre, shipped.Idioma));
        Assert.Equal(["cliente", "venta"], shipped.Parametros);
        Assert.Null(request["venta_entregada"]);
    }

    [Fact]
    public void Only_approved_templates_are_offered_and_the_current_choice_stays_when_the_account_could_not_be_read()
    {
        var mapping = new NotificationMapping(Answer("""{"venta_confirmada":{"nombre":"viejo","idioma":"es","parametros":[]}}"""));
        var account = new List<PlantillaCuenta> { new("nuevo", "es", "APPROVED", "UTILITY", 1), new("rechazado", "es", "REJECTED", "UTILITY", 0) };

        Assert.Equal(["viejo|es", "nuevo|es"], mapping.Options(mapping.Rows[0], account).Select(o => o.Key));
        Assert.Equal(["nuevo|es"], mapping.Options(mapping.Rows[1], account).Select(o => o.Key));
        Assert.Equal(["viejo|es"], mapping.Options(mapping.Rows[0], []).Select(o => o.Key));
    }

    [Fact]
    public void A_refusal_lands_on_its_row_and_field()
    {
        var mapping = new NotificationMapping(Answer("{}"));
        mapping.ShowErrors(new ApiProblem(422, "Datos inválidos", null, new Dictionary<string, string[]>
        {
            ["venta_enviada.parametros[1]"] = ["«pedido» no es un parámetro."],
            ["venta_enviada.nombre"] = ["Falta el nombre."],
        }, []));

        Assert.Equal("«pedido» no es un parámetro.", mapping.ErrorOf(mapping.Rows[2], "parametros"));
        Assert.Equal("Falta el nombre.", mapping.ErrorOf(mapping.Rows[2], "nombre"));
        Assert.Null(mapping.ErrorOf(mapping.Rows[0], "parametros"));
    }
}
