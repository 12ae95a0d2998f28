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
        var cartAfterFirstTurn = 0;
        for (var i = 0; i < turns.Count; i++)
        {
            replies.AddRange(await TurnAsync(tenant.Admin, turns[i], conversation, answerConfirmation: i == turns.Count - 1));
            conversation = replies[^1]["conversacion_id"]!.GetValue<string>();
            cartAfterFirstTurn = i == 0 ? replies[^1]["carrito"]!["items"]!.AsArray().Count : cartAfterFirstTurn;
        }

        var orders = replies.Select(r => r["orden_id"]?.GetValue<string>()).Where(o => o is not null).ToList();
        var sales = await tenant.Admin.GetAsync("/ventas");
        if (expected.Count == 0)
        {
            // A dialogue that ends in nothing must have had something to cancel: the cart was filled, then emptied.
            Assert.True(cartAfterFirstTurn > 0, $"the first turn put nothing in the cart: {replies[0]["respuesta"]}");
            Assert.Empty(replies[^1]["carrito"]!["items"]!.AsArray());
            Assert.Equal(0m, replies[^1]["carrito"]!["total"]!.GetValue<decimal>());
            var detail = await tenant.Admin.GetAsync($"/conversaciones/{conversation}");
            Assert.Empty(detail.Json["carrito"]!["items"]!.AsArray());
            Assert.Empty(orders);
            Assert.Equal(0, sales.Json["total"]!.GetValue<int>());
            Assert.Equal(stockBefore, await StockBySkuAsync(tenant.Admin));
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
    public async Task Every_price_and_stock_figure_in_the_answers_is_the_one_of_the_product_or_cart_it_speaks_of()
    {
        var tenant = await FerreteriaAsync();
        var prices = (await tenant.Admin.GetAsync("/productos?tamano=100")).Json["items"]!.AsArray()
            .ToDictionary(p => p!["nombre"]!.GetValue<string>(), p => p!["precio"]!.GetValue<decimal>());
        var queries = File.ReadAllLines(Repository.EvalFile("ferreteria_consultas.jsonl"))
            .Where(l => l.Length > 0).Select(l => JsonNode.Parse(l)!["consulta"]!.GetValue<string>()).ToList();
        string[] followUps = ["quiero 2", "el más barato", "y uno de esos", "qué llevo en el carrito", "quita ese", "quiero 1000"];

        var checkedFigures = 0;
        var previousTotal = 0m;
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
                        .ToDictionary(p => p!["nombre"]!.GetValue<string>(), p => p!["stock"]!.GetValue<int>());
                    // The cart the answer speaks of: the order's lines once it is placed, else the cart returned with it.
                    var cart = reply["carrito"]!;
                    if (reply["orden_id"]?.GetValue<string>() is { } orderId)
                    {
                        cart = (await tenant.Admin.GetAsync($"/ventas/{orderId}")).Json;
                    }

                    var cartTotal = cart["total"]!.GetValue<decimal>();
                    var subtotals = cart["items"]!.AsArray().ToDictionary(
                        l => (l!["nombre"] ?? l["producto"])!.GetValue<string>(), l => (l!["cantidad"]!.GetValue<int>(), l["subtotal"]!.GetValue<decimal>()));
                    var text = reply["respuesta"]!.GetValue<string>();
                    foreach (var line in text.Split('\n'))
                    {
                        foreach (Match money in Money().Matches(line))
                        {
                            var amount = decimal.Parse(money.Groups[1].Value, NumberStyles.AllowThousands | NumberStyles.AllowDecimalPoint, CultureInfo.GetCultureInfo("es-CO"));
                            var before = line[..money.Index];
                            if (before.EndsWith("hasta ", StringComparison.Ordinal))
                            {
                                continue; // the customer's own price limit, not a catalog figure
                            }

                            if (before.EndsWith("antes sumaba ", StringComparison.Ordinal))
                            {
                                Assert.True(amount == previousTotal, $"'{money.Value}' is not the cart's previous total {previousTotal} in: {text}");
                            }
                            else if (Regex.IsMatch(before, @"(?:suma|total|Total:) $"))
                            {
                                Assert.True(amount == cartTotal, $"'{money.Value}' is not the cart total {cartTotal} in: {text}");
                            }
                            else if (CartLine().Match(line) is { Success: true } cartLine && money.Index > cartLine.Groups[2].Index)
                            {
                                var name = cartLine.Groups[2].Value;
                                var quantity = int.Parse(cartLine.Groups[1].Value, CultureInfo.InvariantCulture);
                                Assert.True(subtotals.TryGetValue(name, out var expected) && expected == (quantity, amount) && amount == quantity * prices[name],
                                    $"'{line}' does not match the cart line of {name} ({expected}) in: {text}");
                            }
                            else
                            {
                                var product = NamedBefore(before, prices.Keys);
                                Assert.True(product is not null, $"'{money.Value}' has no product named before it on its line in: {text}");
                                Assert.True(amount == prices[product], $"'{money.Value}' is not the price of {product} ({prices[product]}) in: {text}");
                            }

                            checkedFigures++;
                        }

                        foreach (Match stock in StockFigure().Matches(line))
                        {
                            var units = int.Parse(stock.Groups[1].Value, CultureInfo.InvariantCulture);
                            // "N unidad(es) de Producto" names the product after the figure; "Producto … (N disponibles)" before it.
                            var product = stock.Value.EndsWith("unidad(es)", StringComparison.Ordinal)
                                ? prices.Keys.Where(n => line[stock.Index..].Contains(n, StringComparison.Ordinal)).MaxBy(n => n.Length)
                                : NamedBefore(line[..stock.Index], prices.Keys);
                            Assert.True(product is not null, $"'{stock.Value}' has no product named on its line in: {text}");
                            Assert.True(units == stocks[product], $"'{stock.Value}' is not the stock of {product} ({stocks[product]}) in: {text}");
                            checkedFigures++;
                        }
                    }

                    previousTotal = reply["carrito"]!["total"]!.GetValue<decimal>();
                }
            }
        }

        Assert.True(checkedFigures > 50, $"only {checkedFigures} figures were checked");
    }

    /// <summary>The catalog product named last before the end of <paramref name="text"/> (the longest name when several end there).</summary>
    private static string? NamedBefore(string text, IEnumerable<string> names) =>
        names.Select(n => (Name: n, At: text.LastIndexOf(n, StringComparison.Ordinal)))
            .Where(x => x.At >= 0).OrderByDescending(x => x.At + x.Name.Length).ThenByDescending(x => x.Name.Length)
            .Select(x => x.Name).FirstOrDefault();

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

    [GeneratedRegex(@"^- (\d+) × (.+): \$")]
    private static partial Regex CartLine();
}
