using AgenteVendedor.Security;

namespace AgenteVendedor.Grains.Tests;

public sealed class PasswordHasherTests
{
    [Fact]
    public void Hashes_are_salted_slow_by_default_and_verify_only_the_right_password()
    {
        var hasher = new PasswordHasher(PasswordHasher.RecommendedIterations);

        var first = hasher.Hash("clave-segura-1");
        var second = hasher.Hash("clave-segura-1");

        Assert.NotEqual(first, second);
        Assert.StartsWith("pbkdf2-sha256$600000$", first, StringComparison.Ordinal);
        Assert.True(hasher.Verify("clave-segura-1", first));
        Assert.False(hasher.Verify("clave-segura-2", first));
        Assert.False(hasher.Verify("clave-segura-1", "texto-plano"));
    }

    [Fact]
    public void A_hash_made_with_another_work_factor_still_verifies()
    {
        var old = new PasswordHasher(10_000).Hash("clave-antigua");

        Assert.True(new PasswordHasher(PasswordHasher.RecommendedIterations).Verify("clave-antigua", old));
    }
}
