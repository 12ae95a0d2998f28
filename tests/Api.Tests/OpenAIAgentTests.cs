using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using AgenteVendedor.Testing;

namespace AgenteVendedor.Api.Tests;

/// <summary>The product with OpenAI configured — pointed at a fake OpenAI server on loopback.</summary>
public sealed class OpenAIAgentTests : IAsyncLifetime
{
    private PostgresDatabase _database = null!;
    private ProductStack _stack = null!;
    private FakeOpenAI _openAI = null!;
    private Guid? _drillId;

    public async Task InitializeAsync()
    {
        _openAI = await FakeOpenAI.StartAsync(Script);
        _database = await PostgresDatabase.CreateAsync();
        _stack = await ProductStack.StartAsync(_database, silos: 1, new Dictionary<string, string>(ProductStack.FastFailover)
        {
            ["OpenAI__ApiKey"] = FakeOpenAI.DefaultApiKey,
            ["OpenAI__BaseUrl"] = _openAI.BaseUrl.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _stack.DisposeAsync();
        await _database.DisposeAsync();
        await _openAI.DisposeAsync();
    }

    // A scripted model: it calls the tools a real one would, and words its answers from what they returned.
    private FakeReply Script(JsonNode request)
    {
        var last = request.Last();
        if (last.Role() == "tool")
        {
            var results = request.ToolResults();
            if (results.FirstOrDefault(r => r.Result is not JsonObject) is { Tool: not null } failed)
            {
                throw new InvalidOperationException($"tool {failed.Tool} failed: {failed.Result}");
            }

            var (tool, result) = results[0];
            switch (tool)
            {
                case "buscar_productos":
                    var first = result!["productos"]![0]!;
                    _drillId = Guid.Parse(first["producto_id"]!.GetValue<string>());
                    return new FakeReply.Text($"Tenemos {first["nombre"]} a {first["precio_texto"]}, {first["stock"]} disponibles.");
                case "agregar_al_carrito":
                    // The same turn also asked for the cart: both calls must have been answered.
                    var cart = results.Single(r => r.Tool == "ver_carrito").Result!;
                    return new FakeReply.Text($"Listo, agregué {result!["cantidad"]} × {result["producto"]!["nombre"]}; llevas {(cart["items"] ?? cart["Items"])!.AsArray().Count} producto(s).");
                case "registrar_cliente":
                    return new FakeReply.Text("Gracias, ya tengo tus datos. ¿Confirmo el pedido?");
                case "confirmar_pedido":
                    return new FakeReply.Text(result!["confirmado"]!.GetValue<bool>()
                        ? $"¡Pedido confirmado! Total {result["total_texto"]}."
                        : $"No pude confirmar: {result.ToJsonString()}");
            }
        }

        var said = last.Content();
        return said switch
        {
            _ when said.Contains("taladro", StringComparison.OrdinalIgnoreCase) =>
                new FakeReply.ToolCalls(("buscar_productos", new { consulta = "taladro para concreto" })),
            _ when said.StartsWith("quiero", StringComparison.OrdinalIgnoreCase) =>
                new FakeReply.ToolCalls(("agregar_al_carrito", new { producto_id = _drillId, cantidad = 1 }), ("ver_carrito", new { })),
            _ when said.Contains("llamo", StringComparison.OrdinalIgnoreCase) =>
                new FakeReply.ToolCalls(("registrar_cliente", new { nombre = "Carlos Gómez", telefono = "300 555 1234", direccion = "Calle 10 # 5-20" })),
            _ when said.Contains("confirmo", StringComparison.OrdinalIgnoreCase) =>
                new FakeReply.ToolCalls(("confirmar_pedido", new { })),
            _ => new FakeReply.Text("¿En qué te ayudo?"),
        };
    }

    [Fact]
    public async Task The_openai_driver_searches_fills_the_cart_and_confirms_an_order_through_tool_calls()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(CsvFiles.Ferreteria), "reemplazar")).Status);
        await tenant.Admin.PutAsync("/empresa", new { nombre_agente = "Tuerquita" });

        var search = await tenant.Admin.PostAsync("/chat", new { mensaje = "¿tienen taladro para concreto?", llm = "openai", instrucciones = "Ofrece siempre la garantía." });
        Assert.True(search.Status == HttpStatusCode.OK, search.Body + Diagnostics());
        Assert.Equal("Tenemos Taladro percutor 650W a $189.900, 12 disponibles.", search.Json["respuesta"]!.GetValue<string>());
        Assert.Equal("FER-001", search.Json["productos"]![0]!["sku"]!.GetValue<string>());
        Assert.Equal("inventario", search.Json["tipo"]!.GetValue<string>());
        var conversation = search.Json["conversacion_id"]!.GetValue<string>();

        var add = await tenant.Admin.PostAsync("/chat", new { mensaje = "quiero uno", conversacion_id = conversation, llm = "openai" });
        Assert.True(add.Status == HttpStatusCode.OK, add.Body + Diagnostics());
        Assert.Equal("Listo, agregué 1 × Taladro percutor 650W; llevas 1 producto(s).", add.Json["respuesta"]!.GetValue<string>());
        Assert.Equal(189900m, add.Json["carrito"]!["total"]!.GetValue<decimal>());
        await tenant.Admin.PostAsync("/chat", new { mensaje = "me llamo Carlos, 300 555 1234, Calle 10 # 5-20", conversacion_id = conversation, llm = "openai" });
        var confirm = await tenant.Admin.PostAsync("/chat", new { mensaje = "confirmo", conversacion_id = conversation, llm = "openai" });

        Assert.True(confirm.Status == HttpStatusCode.OK, confirm.Body + Diagnostics());
        Assert.Equal("¡Pedido confirmado! Total $189.900.", confirm.Json["respuesta"]!.GetValue<string>());
        Assert.DoesNotContain(_openAI.Refused, r => r.Status is 400 or 401);
        var order = await tenant.Admin.GetAsync($"/ventas/{confirm.Json["orden_id"]!.GetValue<string>()}");
        Assert.Equal(("FER-001", 1), (order.Json["items"]![0]!["sku"]!.GetValue<string>(), order.Json["items"]![0]!["cantidad"]!.GetValue<int>()));
        Assert.Equal(11, (await tenant.Admin.GetAsync($"/productos/{_drillId}")).Json["stock"]!.GetValue<int>());

        var firstRequest = _openAI.ChatRequests[0];
        var tools = firstRequest["tools"]!.AsArray().Select(t => t!["function"]!["name"]!.GetValue<string>()).ToList();
        Assert.Equal(["agregar_al_carrito", "buscar_productos", "cancelar_pedido", "confirmar_pedido", "pasar_a_humano",
            "quitar_del_carrito", "registrar_cliente", "ver_carrito", "ver_producto"], tools.Order());
        var system = firstRequest.Messages()[0]!.Content();
        Assert.Contains("Tuerquita", system, StringComparison.Ordinal);
        Assert.Contains("Ofrece siempre la garantía.", system, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Remote_embeddings_are_cached_a_reimport_embeds_only_what_changed_and_a_restart_nothing()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();
        var catalog = CsvFiles.Ferreteria;
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(catalog), "reemplazar")).Status);
        int ProductTexts() => _openAI.EmbeddedTexts.Count(t => t.Contains(" | ", StringComparison.Ordinal));

        Assert.Equal("FER-005", (await tenant.Admin.GetAsync("/productos/buscar?q=martillo&k=1")).Json[0]!["producto"]!["sku"]!.GetValue<string>());
        // Each product text once: the catalog's 40 products, nothing embedded twice.
        var products = catalog.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1;
        var first = ProductTexts();
        Assert.Equal(40, products);
        Assert.Equal(products, first);
        Assert.Equal(products, _openAI.EmbeddedTexts.Where(t => t.Contains(" | ", StringComparison.Ordinal)).Distinct().Count());

        var changed = catalog.Replace("Martillo carpintero con cabeza de acero forjado", "Martillo de carpintería con cabeza forjada", StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await tenant.Admin.ImportAsync(Encoding.UTF8.GetBytes(changed), "actualizar")).Status);
        await tenant.Admin.GetAsync("/productos/buscar?q=martillo&k=1");
        Assert.Equal(first + 1, ProductTexts());

        _stack.Silos[0].Kill();
        _stack.StartSilo();
        await _stack.WaitUntilReadyAsync(activeSilos: 1, TimeSpan.FromSeconds(60));
        var afterRestart = await ApiClient.RetryWhileUnavailableAsync(() => tenant.Admin.GetAsync("/productos/buscar?q=martillo&k=1"));
        Assert.Equal("FER-005", afterRestart.Json[0]!["producto"]!["sku"]!.GetValue<string>());
        Assert.Equal(first + 1, ProductTexts());
    }

    /// <summary>A /chat turn while the fake answers every completion with <paramref name="status"/>.</summary>
    private async Task<Answer> TurnWhileOpenAIFailsAsync(ApiClient admin, int status)
    {
        var refusedBefore = _openAI.Refused.Count;
        // More failures than the OpenAI client's own retries: every attempt of this turn fails.
        _openAI.FailNextChats(status, times: 50);
        try
        {
            var failed = await admin.PostAsync("/chat", new { mensaje = "hola", llm = "openai" });
            Assert.Contains(_openAI.Refused.Skip(refusedBefore), r => r.Status == status);
            return failed;
        }
        finally
        {
            _openAI.ClearFailures();
        }
    }

    [Fact]
    public async Task When_openai_answers_500_or_429_chat_answers_503_and_the_next_turn_works()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();

        foreach (var status in new[] { 500, 429 })
        {
            var failed = await TurnWhileOpenAIFailsAsync(tenant.Admin, status);

            failed.AssertProblem(HttpStatusCode.ServiceUnavailable);
            Assert.Contains("openai", failed.Detail, StringComparison.Ordinal);
            var recovered = await tenant.Admin.PostAsync("/chat", new { mensaje = "hola", llm = "openai" });
            Assert.True(recovered.Status == HttpStatusCode.OK, recovered.Body + Diagnostics());
            Assert.Equal("¿En qué te ayudo?", recovered.Json["respuesta"]!.GetValue<string>());
        }
    }

    // The grain's Problem carries RetryAfterSeconds = 5: every refusal mapped by Problems.From writes it.
    [Fact]
    public async Task The_503_of_a_failing_llm_says_when_to_retry()
    {
        using var anonymous = new ApiClient(_stack.CreateClient());
        var tenant = await anonymous.RegisterAsync();

        var failed = await TurnWhileOpenAIFailsAsync(tenant.Admin, 500);

        failed.AssertProblem(HttpStatusCode.ServiceUnavailable);
        Assert.True(failed.Headers.RetryAfter?.Delta > TimeSpan.Zero, $"Retry-After: {failed.Headers.RetryAfter}");
    }

    private string Diagnostics() =>
        "\nfake errors: " + string.Join("\n", _openAI.Errors) + "\nrefused: " + string.Join("\n", _openAI.Refused);
}
