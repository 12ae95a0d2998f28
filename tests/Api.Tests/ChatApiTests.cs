using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed partial class ChatApiTests(ApiFixture fixture)
{
    private static readonly Dictionary<string, string> CustomerAnswers = new()
    {
        ["nombre"] = "Carlos Gómez",
        ["telefono"] = "300 555 1234",
        ["direccion"] = "Calle 10 # 5-20, Bogotá",
        ["confirmacion"] = "sí",
    };

    private readonly ApiClient _anonymous = fixture.Anonymous();

    private async Task<Tenant> FerreteriaAsync()
    {
        var tenant = await _anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        return tenant;
    }

    /// <summary>Sends one customer message, then answers whatever the agent asks for (name, phone, address, confirmation).</summary>
    private static async Task<List<JsonNode>> TurnAsync(ApiClient client, string message, string? conversation, bool answerConfirmation)
    {
        var replies = new List<JsonNode>();
        var next = message;
        while (next is not null)
        {
            var answer = await client.PostAsync("/chat", conversation is null ? new { mensaje = next } : new { mensaje = next, conversacion_id = conversation });
            Assert.True(answer.Status == HttpStatusCode.OK, answer.Body);
            replies.Add(answer.Json);
            conversation = answer.Json["conversacion_id"]!.GetValue<string>();
            var awaiting = answer.Json["esperando"]?.GetValue<string>();
            next = awaiting is null || (awaiting == "confirmacion" && !answerConfirmation) ? null : CustomerAnswers[awaiting];
        }

        return replies;
    }

    public static TheoryData<string> Dialogues() =>
        new(File.ReadAllLines(Repository.EvalFile("ferreteria_dialogos.jsonl"))
            .Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement.GetProperty("id").GetString()!));

    [Theory]
    [MemberData(nameof(Dialogues))]
    public async Task A_sales_dialogue_ends_in_the_expected_order(string id)
    {
        var dialogue = File.ReadAllLines(Repository.EvalFile("ferreteria_dialogos.jsonl"))
            .Select(l => JsonNode.Parse(l)!).Single(d => d["id"]!.GetValue<string>() == id);
        var turns = dialogue["turnos"]!.AsArray().Select(t => t!.GetValue<string>()).ToList();
        var expected = dialogue["esperado"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<int>());
        var tenant = await FerreteriaAsync();
        var stockBefore = await StockBySkuAsync(tenant.Admin);

        string? conversation = null;
        var replies = new List<JsonNode>();
        for (var i = 0; i < turns.Count; i++)
        {
            replies.AddRange(await TurnAsync(tenant.Admin, turns[i], conversation, answerConfirmation: i == turns.Count - 1));
            conversation = replies[^1]["conversacion_id"]!.GetValue<string>();
        }

        var orders = replies.Select(r => r["orden_id"]?.GetValue<string>()).Where(o => o is not null).ToList();
        var sales = await tenant.Admin.GetAsync("/ventas");
        if (expected.Count == 0)
        {
            Assert.Empty(orders);
            Assert.Equal(0, sales.Json["total"]!.GetValue<int>());
            return;
        }

        var order = await tenant.Admin.GetAsync($"/ventas/{Assert.Single(orders)}");
        var items = order.Json["items"]!.AsArray().ToDictionary(i => i!["sku"]!.GetValue<string>(), i => i!["cantidad"]!.GetValue<int>());
        Assert.Equal(expected.OrderBy(e => e.Key), items.OrderBy(e => e.Key));
        Assert.Equal("api", order.Json["canal"]!.GetValue<string>());
        var stockAfter = await StockBySkuAsync(tenant.Admin);
        Assert.All(expected, e => Assert.Equal(stockBefore[e.Key] - e.Value, stockAfter[e.Key]));
        Assert.Contains("Pedido confirmado", replies[^1]["respuesta"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_price_and_stock_figure_in_the_answers_exists_in_the_catalog()
    {
        var tenant = await FerreteriaAsync();
        var catalog = (await tenant.Admin.GetAsync("/productos?tamano=100")).Json["items"]!.AsArray();
        var prices = catalog.Select(p => p!["precio"]!.GetValue<decimal>()).ToHashSet();
        var queries = File.ReadAllLines(Repository.EvalFile("ferreteria_consultas.jsonl"))
            .Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!["consulta"]!.GetValue<string>()).ToList();
        string[] followUps = ["quiero 2", "el más barato", "y uno de esos", "qué llevo en el carrito", "quita ese", "quiero 1000"];

        var checkedFigures = 0;
        string? conversation = null;
        for (var i = 0; i < queries.Count; i++)
        {
            var messages = new[] { queries[i], followUps[i % followUps.Length] };
            foreach (var message in messages)
            {
                foreach (var reply in await TurnAsync(tenant.Admin, message, conversation, answerConfirmation: i % 5 == 4))
                {
                    conversation = reply["conversacion_id"]!.GetValue<string>();
                    var stocks = (await tenant.Admin.GetAsync("/productos?tamano=100")).Json["items"]!.AsArray()
                        .Select(p => p!["stock"]!.GetValue<int>()).ToHashSet();
                    var derived = reply["carrito"]!["items"]!.AsArray().Select(l => l!["subtotal"]!.GetValue<decimal>())
                        .Append(reply["carrito"]!["total"]!.GetValue<decimal>()).ToHashSet();
                    if (reply["orden_id"]?.GetValue<string>() is { } orderId)
                    {
                        var order = await tenant.Admin.GetAsync($"/ventas/{orderId}");
                        derived.Add(order.Json["total"]!.GetValue<decimal>());
                        derived.UnionWith(order.Json["items"]!.AsArray().Select(l => l!["subtotal"]!.GetValue<decimal>()));
                    }

                    var text = reply["respuesta"]!.GetValue<string>();
                    foreach (Match money in Money().Matches(text))
                    {
                        var amount = decimal.Parse(money.Groups[1].Value, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, CultureInfo.GetCultureInfo("es-CO"));
                        Assert.True(prices.Contains(amount) || derived.Contains(amount), $"'{money.Value}' is not a catalog price nor a cart figure in: {text}");
                        checkedFigures++;
                    }

                    foreach (Match stock in StockFigure().Matches(text))
                    {
                        Assert.True(stocks.Contains(int.Parse(stock.Groups[1].Value, CultureInfo.InvariantCulture)), $"'{stock.Value}' is not a stock figure in: {text}");
                        checkedFigures++;
                    }
                }
            }
        }

        Assert.True(checkedFigures > 50, $"only {checkedFigures} figures were checked");
    }

    [Fact]
    public async Task Conversations_belong_to_their_empresa_and_the_request_is_validated()
    {
        var tenant = await FerreteriaAsync();
        var other = await _anonymous.RegisterAsync();
        var (observer, _, _) = await _anonymous.AddUserAsync(tenant, "observador");
        var first = await tenant.Admin.PostAsync("/chat", new { mensaje = "quiero un martillo" });
        var conversation = first.Json["conversacion_id"]!.GetValue<string>();
        Assert.Single(first.Json["carrito"]!["items"]!.AsArray());

        var again = await tenant.Admin.PostAsync("/chat", new { mensaje = "qué llevo en el carrito", conversacion_id = conversation });
        Assert.Contains("Martillo", again.Json["respuesta"]!.GetValue<string>(), StringComparison.Ordinal);
        (await other.Admin.PostAsync("/chat", new { mensaje = "hola", conversacion_id = conversation })).AssertProblem(HttpStatusCode.NotFound);
        (await tenant.Admin.PostAsync("/chat", new { mensaje = "hola", conversacion_id = Guid.NewGuid() })).AssertProblem(HttpStatusCode.NotFound);
        (await observer.PostAsync("/chat", new { mensaje = "hola" })).AssertProblem(HttpStatusCode.Forbidden);
        var invalid = await tenant.Admin.PostAsync("/chat", new { mensaje = "", tipo = "chisme", tono = "grosero" });
        invalid.AssertProblem(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(3, invalid.Json["errors"]!.AsObject().Count);
        (await tenant.Admin.PostAsync("/chat", new { mensaje = "hola", llm = "gpt-imaginario" })).AssertProblem(HttpStatusCode.UnprocessableEntity);
    }

    [Fact]
    public async Task Tone_and_agent_name_come_from_the_empresa_and_can_be_overridden()
    {
        var tenant = await FerreteriaAsync();
        await tenant.Admin.PutAsync("/empresa", new { nombre_agente = "Tuerquita", tono = "formal" });

        var formal = await tenant.Admin.PostAsync("/chat", new { mensaje = "hola" });
        var informal = await tenant.Admin.PostAsync("/chat", new { mensaje = "hola", tono = "amigable" });

        Assert.Contains("Tuerquita", formal.Json["respuesta"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("busca?", formal.Json["respuesta"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("buscas?", informal.Json["respuesta"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("general", formal.Json["tipo"]!.GetValue<string>());
    }

    private static async Task<Dictionary<string, int>> StockBySkuAsync(ApiClient client) =>
        (await client.GetAsync("/productos?tamano=100")).Json["items"]!.AsArray()
            .ToDictionary(p => p!["sku"]!.GetValue<string>(), p => p!["stock"]!.GetValue<int>());

    [GeneratedRegex(@"\$\s?(\d{1,3}(?:\.\d{3})*(?:,\d{1,2})?)")]
    private static partial Regex Money();

    [GeneratedRegex(@"(\d+) (?:disponibles|unidad\(es\))")]
    private static partial Regex StockFigure();
}
