/** Event loops and worker pools. */
package dev.offload;
