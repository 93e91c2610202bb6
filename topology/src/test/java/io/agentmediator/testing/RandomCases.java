package io.agentmediator.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Property tests in plain JUnit: checks a property against many randomly drawn cases, reproducibly.
 *
 * <p>Every try draws its case from its own {@link SplittableRandom}, whose seed is the try's place in a
 * sequence started from one base seed. The base seed is fixed, so every run draws the same cases and a
 * failure comes back on the next run; the failure names the base seed, the try and the case. Running with
 * {@code -Dproperties.seed=…} (decimal or {@code 0x} hex) draws from another base seed, to explore cases
 * the fixed one never reaches, and replays a failure found that way.
 *
 * <p>Nothing shrinks a failing case, so generators should keep cases small enough to read.
 */
public final class RandomCases {

    /** Any fixed value will do: it only has to be the same on every run and every machine. */
    private static final long DEFAULT_SEED = 20_261_121L;

    private static final String SEED_PROPERTY = "properties.seed";

    private RandomCases() {}

    /**
     * Draws {@code tries} cases with {@code cases} and checks {@code property} on each, stopping at the first
     * that fails, an assertion or an exception alike.
     */
    public static <T> void forAll(int tries, Function<Draw, T> cases, Consumer<T> property) {
        long baseSeed = baseSeed();
        SplittableRandom seeds = new SplittableRandom(baseSeed);
        for (int attempt = 1; attempt <= tries; attempt++) {
            T drawn = cases.apply(new Draw(new SplittableRandom(seeds.nextLong())));
            try {
                property.accept(drawn);
            } catch (AssertionError | RuntimeException failure) {
                String message = String.format("property failed on try %d of %d with seed %d (-D%s=%d replays it)%n"
                        + "case: %s%n%s", attempt, tries, baseSeed, SEED_PROPERTY, baseSeed, drawn, failure);
                throw new AssertionError(message, failure);
            }
        }
    }

    private static long baseSeed() {
        String seed = System.getProperty(SEED_PROPERTY);
        return seed == null || seed.isBlank() ? DEFAULT_SEED : Long.decode(seed.strip());
    }

    /** A choice of {@link Draw#frequencyOf}: drawn with probability {@code weight} over the sum of all weights. */
    public record Weighted<T>(int weight, Supplier<? extends T> value) {

        public Weighted {
            if (weight < 1) {
                throw new IllegalArgumentException("a weight must be positive: " + weight);
            }
        }
    }

    public static <T> Weighted<T> weighted(int weight, Supplier<? extends T> value) {
        return new Weighted<>(weight, value);
    }

    /**
     * The random source of one try. Bounds are inclusive. Uniform draws seldom hit the values where bugs
     * live, so numbers come out as a bound (or zero, when in range) one time in ten.
     */
    public static final class Draw {

        private static final int EDGE_ONE_IN = 10;
        private static final int SHORT = 32;

        private final RandomGenerator random;

        private Draw(RandomGenerator random) {
            this.random = random;
        }

        public int intBetween(int min, int max) {
            return Math.toIntExact(longBetween(min, max));
        }

        public long longBetween(long min, long max) {
            if (min > max) {
                throw new IllegalArgumentException("empty range: " + min + " .. " + max);
            }
            if (random.nextInt(EDGE_ONE_IN) == 0) {
                List<Long> edges = min <= 0 && 0 <= max ? List.of(min, 0L, max) : List.of(min, max);
                return oneOf(edges);
            }
            return random.nextLong(min, Math.addExact(max, 1));
        }

        public <T> T oneOf(List<T> values) {
            return values.get(random.nextInt(values.size()));
        }

        @SafeVarargs
        public final <T> T frequencyOf(Weighted<? extends T>... choices) {
            int total = 0;
            for (Weighted<? extends T> choice : choices) {
                total = Math.addExact(total, choice.weight());
            }
            int roll = random.nextInt(total);
            for (Weighted<? extends T> choice : choices) {
                roll -= choice.weight();
                if (roll < 0) {
                    return choice.value().get();
                }
            }
            throw new AssertionError("unreachable: the roll is below the sum of the weights");
        }

        /**
         * Mostly short lists, where a failure is easy to read and a try is quick: up to {@value #SHORT} over the
         * minimum size 86 times in 100, any size 10 times, the minimum and the maximum twice each.
         */
        public <T> List<T> listOf(int minSize, int maxSize, Supplier<? extends T> element) {
            int size = frequencyOf(
                    weighted(2, () -> minSize),
                    weighted(2, () -> maxSize),
                    weighted(10, () -> intBetween(minSize, maxSize)),
                    weighted(86, () -> intBetween(minSize, Math.min(maxSize, minSize + SHORT))));
            List<T> values = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                values.add(element.get());
            }
            return values;
        }
    }
}
