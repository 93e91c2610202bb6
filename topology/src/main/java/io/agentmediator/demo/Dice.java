package io.agentmediator.demo;

import java.util.Random;

/**
 * Random choices about one intent that depend only on the seed, the intent and what is being
 * chosen, so an intent gets the same answer however many others are open or in what order the
 * decisions were read.
 */
final class Dice {

    private Dice() {}

    static Random of(long seed, String purpose, String intentId) {
        return new Random(seed * 31 + (purpose + "/" + intentId).hashCode());
    }
}
